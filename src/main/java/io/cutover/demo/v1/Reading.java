package io.cutover.demo.v1;

import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * V1 {@code device_data}. The id comes from the table's own BIGSERIAL sequence
 * ({@code device_data_id_seq}) unless the client supplied one.
 */
@Entity(name = "V1Reading")
@Table(name = "device_data")
public class Reading {

    @Id
    public Long id;
    @Column(name = "device_id")
    public String deviceId;
    @Column(name = "\"timestamp\"")
    public Instant timestamp;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonObject data;
    public String protocol;
    public String source;
}
