package io.cutover.observability;

import static io.cutover.observability.MetricNames.*;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * A help text for every Cutover meter registered without one (a {@code # HELP} line on {@code /q/metrics}, which
 * {@code promtool check metrics} requires): one place, next to the names, instead of a description at each
 * {@code registry.counter(...)} call.
 */
final class MeterDescriptions {

    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(REQUESTS, "Proxied requests by route, answering backend and outcome"),
            Map.entry(ROUTING_DECISIONS, "Routing decisions by reason and chosen backend"),
            Map.entry(POLICY_VERSION, "The version of the traffic policy in force"),
            Map.entry(POLICY_RELOADS, "Traffic policy reloads by result (accepted, refused)"),
            Map.entry(POLICY_PINS_REFUSED, "Pins to V2 of the policy file not applied now (their tenant's last verify found differences)"),
            Map.entry(POLICY_PIN_REFUSALS, "Times a pin to V2 was refused (a policy load, or new verify results)"),
            Map.entry(REJECTED, "Requests refused before any backend saw them, by reason"),
            Map.entry(EDGE_SLOW_CLIENTS_CLOSED, "Connections closed for not delivering a request head in time, by reason (timeout, limit)"),
            Map.entry(ROLLBACK_TRIPS, "Rollback latches made by this replica, by reason"),
            Map.entry(ROLLBACK_STORE_ERRORS, "Failed reads or writes of the shared rollback latch row, by operation"),
            Map.entry(ROLLBACK_INCONCLUSIVE_WINDOWS, "Windows in which the rollback guard could not judge V2 (too few V2 requests)"),
            Map.entry(OUTBOX_ROUNDS, "Rounds of claims and sends run by this replica's outbox worker"),
            Map.entry(OUTBOX_SENT, "Secondary writes sent and accepted, by target"),
            Map.entry(OUTBOX_RETRIED, "Secondary writes scheduled again after a failed attempt, by target"),
            Map.entry(OUTBOX_FAILED_ATTEMPTS, "Failed secondary attempts by target and reason"),
            Map.entry(TENANT_STATES, "Tenants in each migration state"),
            Map.entry(TENANT_TRANSITIONS, "Asked moves of a tenant's migration state, by result"),
            Map.entry(PROGRESSION_STATE, "1 for the phase the progression is in, by state"),
            Map.entry(PROGRESSION_PROMOTIONS, "Moves of the progression written by this replica, by result"),
            Map.entry(ROUTING_OVERRIDES, "Override headers seen, by result"),
            Map.entry(NOTIFY_DELIVERIES, "Webhook notifications by result (delivered, retried, failed, dropped)"));

    private MeterDescriptions() {
    }

    /** Fills in the help text of a Cutover meter registered without one; any meter's own description stays. */
    @Produces
    @Singleton
    static MeterFilter helpTexts() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getDescription() != null && !id.getDescription().isEmpty()) {
                    return id;
                }
                String help = HELP.get(id.getName());
                return help == null ? id : new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
            }
        };
    }
}
