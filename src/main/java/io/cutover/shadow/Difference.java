package io.cutover.shadow;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One differing field of a shadow read: its JSON path, and its value in the primary's and the
 * secondary's answer as JSON text ({@code null}: the field is absent on that side).
 */
@RegisterForReflection // kept as JSON in cutover_shadow_differences by the ObjectMapper (native image)
public record Difference(String path, String primary, String secondary) {
}
