package io.cutover.demo;

import io.cutover.demo.Field.Kind;
import java.util.List;

/**
 * The shape of an id-keyed entity of the reference API (see {@code reference/v1.sql}): its
 * client-writable fields in JSON order, the prefix of generated ids, and whether it carries
 * {@code updatedAt}.
 */
record EntitySpec(String name, String idPrefix, List<Field> fields, boolean tracksUpdates) {

    static final EntitySpec DEVICE = new EntitySpec("device", "dev-", List.of(
            Field.required("name"),
            Field.required("type"),
            Field.withDefault("status", Kind.STRING, "OFFLINE"),
            Field.optional("config", Kind.OBJECT),
            Field.optional("ownerId", Kind.STRING)), true);

    static final EntitySpec USER = new EntitySpec("user", "usr-", List.of(
            Field.required("email"),
            Field.optional("name", Kind.STRING),
            Field.withDefault("role", Kind.STRING, "USER")), true);

    static final EntitySpec ALERT = new EntitySpec("alert", "alr-", List.of(
            Field.optional("deviceId", Kind.STRING),
            Field.required("severity"),
            Field.required("message"),
            Field.withDefault("acknowledged", Kind.BOOLEAN, false)), false);
}
