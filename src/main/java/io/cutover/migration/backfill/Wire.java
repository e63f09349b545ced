package io.cutover.migration.backfill;

import io.cutover.migration.ColumnMapping;
import io.cutover.migration.TableMapping;
import io.cutover.migration.TableSchema;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * How a staged column travels from V1 to V2. A column written as a plain cast to a bigint or timestamptz target
 * column is read as that type on V1 and sent as a typed array (binary on the wire: no output function on V1, no
 * input function on V2); every other column travels as text and is cast on V2, as the mapping says.
 */
enum Wire {
    TEXT("text") {
        @Override
        Object[] array(int size) {
            return new String[size];
        }

        @Override
        Object value(Row row, int index) {
            return row.getString(index);
        }

        @Override
        void add(Tuple tuple, Object[] values) {
            tuple.addArrayOfString((String[]) values);
        }
    },
    INT8("bigint") {
        @Override
        Object[] array(int size) {
            return new Long[size];
        }

        @Override
        Object value(Row row, int index) {
            return row.getLong(index);
        }

        @Override
        void add(Tuple tuple, Object[] values) {
            tuple.addArrayOfLong((Long[]) values);
        }
    },
    TIMESTAMPTZ("timestamptz") {
        @Override
        Object[] array(int size) {
            return new OffsetDateTime[size];
        }

        @Override
        Object value(Row row, int index) {
            return row.getOffsetDateTime(index);
        }

        @Override
        void add(Tuple tuple, Object[] values) {
            tuple.addArrayOfOffsetDateTime((OffsetDateTime[]) values);
        }
    };

    /** The SQL type the value has on the wire (the source expression is cast to it, the parameter is its array). */
    final String sql;

    Wire(String sql) {
        this.sql = sql;
    }

    abstract Object[] array(int size);

    abstract Object value(Row row, int index);

    abstract void add(Tuple tuple, Object[] values);

    /** Per staged column of the table, in {@link TableMapping#staged()} order. */
    static List<Wire> of(TableMapping table, TableSchema schema) {
        return table.staged().stream().map(c -> of(c, schema.targetType(c.target()))).toList();
    }

    static Wire of(ColumnMapping column, String targetType) {
        if (column.write() != null || targetType == null) {
            return TEXT;
        }
        return switch (targetType) {
            case "bigint" -> INT8;
            case "timestamp with time zone" -> TIMESTAMPTZ;
            default -> TEXT;
        };
    }
}
