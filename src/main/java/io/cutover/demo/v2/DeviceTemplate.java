package io.cutover.demo.v2;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** V2 {@code device_templates}: one per tenant and device type. */
@Entity(name = "V2DeviceTemplate")
@Table(name = "device_templates")
public class DeviceTemplate {

    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    public String name;
    @Column(name = "device_type")
    public String deviceType;
}
