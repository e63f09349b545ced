package io.cutover.shadow;

/**
 * One differing field of a shadow read: its JSON path, and its value in the primary's and the
 * secondary's answer as JSON text ({@code null}: the field is absent on that side).
 */
public record Difference(String path, String primary, String secondary) {
}
