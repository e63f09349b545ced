package io.cutover.demo.rows;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/** The {@code alerts} columns of both schemas. */
@MappedSuperclass
public abstract class AlertRow extends KeyedRow {

    @Column(name = "device_id")
    public String deviceId;
    public String severity;
    public String message;
    public boolean acknowledged;
}
