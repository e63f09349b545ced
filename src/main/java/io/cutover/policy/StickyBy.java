package io.cutover.policy;

import java.util.Objects;

/**
 * What a request's sticky bucket is computed from: {@code tenant}, {@code device} (the id in
 * {@code /api/devices/{id}...}, else the tenant), {@code header:<Name>} (else the tenant) or
 * {@code random} (no stickiness).
 */
public record StickyBy(Kind kind, String header) {

    public enum Kind { TENANT, DEVICE, HEADER, RANDOM }

    public static final StickyBy TENANT = new StickyBy(Kind.TENANT, null);

    public StickyBy {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.HEADER && (header == null || header.isBlank())) {
            throw new IllegalArgumentException("header name required for stickyBy header:<Name>");
        }
    }

    /** Parses the policy file's notation; {@code null} when it is not one of the four forms. */
    static StickyBy parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.regionMatches(true, 0, "header:", 0, 7)) {
            String name = v.substring(7).trim();
            return name.isEmpty() ? null : new StickyBy(Kind.HEADER, name);
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "tenant" -> TENANT;
            case "device" -> new StickyBy(Kind.DEVICE, null);
            case "random" -> new StickyBy(Kind.RANDOM, null);
            default -> null;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.HEADER ? "header:" + header : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
