package io.cutover.routing;

/** The two sides of the migration. {@link #id()} is the name used in the policy file, metrics and logs. */
public enum Backend {
    V1("v1"),
    V2("v2");

    private final String id;

    Backend(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The other side: the secondary of a write whose primary is this backend. */
    public Backend other() {
        return this == V1 ? V2 : V1;
    }

    /** Parses {@code v1}/{@code v2} (any case); {@code null} when it is neither. */
    public static Backend parse(String value) {
        if (value == null) {
            return null;
        }
        for (Backend b : values()) {
            if (b.id.equalsIgnoreCase(value.trim())) {
                return b;
            }
        }
        return null;
    }
}
