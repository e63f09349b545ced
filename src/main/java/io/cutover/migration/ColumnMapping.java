package io.cutover.migration;

/**
 * How one target column gets its value.
 *
 * @param target   the target column
 * @param source   SQL expression over the source row giving the mapped value (null for a constant)
 * @param constant a constant value (null when the value comes from {@code source})
 * @param write    SQL expression on the target turning the staged value into the column's value,
 *                 over the staged batch row {@code b}; null for {@code b."target"} cast to the column type
 * @param check    SQL expression over the target row that verify compares with {@code source}; null for the column
 */
public record ColumnMapping(String target, String source, String constant, String write, String check) {

    public boolean staged() {
        return constant == null;
    }

    /** The mapped value computed on the source side, as verify compares it. */
    public String sourceExpression() {
        return staged() ? source : Sql.literal(constant);
    }

    /** The value written into the target column, given the column's SQL type. */
    public String writeExpression(String type) {
        if (write != null) {
            return write;
        }
        return (staged() ? "b." + Sql.ident(target) : Sql.literal(constant)) + "::" + type;
    }

    /** The target-side expression verify compares with {@link #sourceExpression()}. */
    public String checkExpression() {
        return check != null ? check : Sql.ident(target);
    }
}
