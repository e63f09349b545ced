package io.cutover.demo.v1;

import io.cutover.demo.rows.DeviceRow;
import io.vertx.core.json.JsonObject;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** V1 {@code devices}. */
@Entity(name = "V1Device")
@Table(name = "devices")
public class Device extends DeviceRow {

    public String type;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonObject config;
}
