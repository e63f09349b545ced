package io.cutover.demo.v2;

import io.cutover.demo.rows.DeviceRow;
import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** V2 {@code devices}: the type is the template's, the V1 config is {@code attributes}. */
@Entity(name = "V2Device")
@Table(name = "devices")
public class Device extends DeviceRow {

    @Column(name = "tenant_id")
    public String tenantId;
    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "template_id")
    public DeviceTemplate template;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonObject attributes;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonObject metadata;
}
