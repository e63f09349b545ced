package io.cutover.demo.v1;

import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** V1 {@code devices}. */
@Entity(name = "V1Device")
@Table(name = "devices")
public class Device {

    @Id
    public String id;
    public String name;
    public String type;
    public String status;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonObject config;
    @Column(name = "owner_id")
    public String ownerId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
