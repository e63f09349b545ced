package io.cutover.demo.v2;

import io.cutover.demo.rows.AlertRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** V2 {@code alerts}. */
@Entity(name = "V2Alert")
@Table(name = "alerts")
public class Alert extends AlertRow {

    @Column(name = "tenant_id")
    public String tenantId;
}
