package io.cutover.demo.v1;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** V1 {@code alerts}. */
@Entity(name = "V1Alert")
@Table(name = "alerts")
public class Alert {

    @Id
    public String id;
    @Column(name = "device_id")
    public String deviceId;
    public String severity;
    public String message;
    public boolean acknowledged;
    @Column(name = "created_at")
    public Instant createdAt;
}
