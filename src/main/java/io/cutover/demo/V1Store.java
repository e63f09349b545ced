package io.cutover.demo;

/** V1 over {@code reference/v1.sql}: single tenant, every field in its own column, telemetry ids from {@code device_data}'s BIGSERIAL. */
final class V1Store extends ReferenceStore {

    private final Table users = new Table(EntitySpec.USER, "users", false, null);
    private final Table devices = new Table(EntitySpec.DEVICE, "devices", false, new Table.Reference("ownerId", users));
    private final Table alerts = new Table(EntitySpec.ALERT, "alerts", false, new Table.Reference("deviceId", devices));
    private final Readings readings = Readings.v1();

    @Override
    Table devices() {
        return devices;
    }

    @Override
    Table users() {
        return users;
    }

    @Override
    Table alerts() {
        return alerts;
    }

    @Override
    Readings readings() {
        return readings;
    }
}
