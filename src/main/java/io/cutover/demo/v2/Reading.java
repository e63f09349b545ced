package io.cutover.demo.v2;

import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * V2 {@code telemetry}. {@code id} is BIGINT without a default: the client's (the router forwards
 * V1's), else the next value of {@code cutover_ref_telemetry_id_seq}.
 */
@Entity(name = "V2Reading")
@Table(name = "telemetry")
public class Reading {

    @Id
    public Long id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "device_id")
    public String deviceId;
    @Column(name = "\"timestamp\"")
    public Instant timestamp;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonObject metrics;
    public String protocol;
    public String source;
    public String quality;
}
