package io.cutover.migration;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Quoting of identifiers and literals for the SQL the jobs build from a mapping. */
public final class Sql {

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern QUOTED_IDENTIFIER = Pattern.compile("\"([^\"]+)\"");

    private Sql() {
    }

    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String idents(List<String> names) {
        return names.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    public static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /** The column an expression names when it is just a column ({@code name} or {@code "name"}), else null. */
    public static String columnOf(String expression) {
        String e = expression.strip();
        if (PLAIN_IDENTIFIER.matcher(e).matches()) {
            return e.toLowerCase(java.util.Locale.ROOT);
        }
        var quoted = QUOTED_IDENTIFIER.matcher(e);
        return quoted.matches() ? quoted.group(1) : null;
    }

    /** Whether values of this PostgreSQL type are compared as strings (then ordered with COLLATE "C"). */
    public static boolean isCollatable(String type) {
        return type.equals("text") || type.startsWith("character") || type.equals("name");
    }

    public static boolean isInteger(String type) {
        return type.equals("bigint") || type.equals("integer") || type.equals("smallint");
    }
}
