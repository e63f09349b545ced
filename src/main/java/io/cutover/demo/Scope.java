package io.cutover.demo;

import java.util.HashMap;
import java.util.Map;

/**
 * All data of one tenant (V2) or of the whole backend (V1), including the first answers given to
 * Idempotency-Keys. Not thread-safe; {@link DemoStore} guards it.
 */
final class Scope {

    private final EntityTable devices;
    private final EntityTable users;
    private final EntityTable alerts;
    private final TelemetryLog telemetry;
    private final Map<String, Reply> firstAnswers = new HashMap<>();

    /** @param tenantId the tenant, or {@code null} for the single-tenant V1 scope */
    Scope(String tenantId, IdSequence telemetryIds) {
        this.devices = new EntityTable(EntitySpec.DEVICE, tenantId);
        this.users = new EntityTable(EntitySpec.USER, tenantId);
        this.alerts = new EntityTable(EntitySpec.ALERT, tenantId);
        this.telemetry = new TelemetryLog(tenantId, telemetryIds);
    }

    EntityTable devices() {
        return devices;
    }

    EntityTable users() {
        return users;
    }

    EntityTable alerts() {
        return alerts;
    }

    TelemetryLog telemetry() {
        return telemetry;
    }

    /** Deletes a device and its readings (404 if absent). */
    void deleteDevice(String id) {
        devices.delete(id);
        telemetry.removeDevice(id);
    }

    Map<String, Reply> firstAnswers() {
        return firstAnswers;
    }
}
