package io.cutover.demo.rows;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/** The {@code devices} columns of both schemas (the type and the config are stored differently). */
@MappedSuperclass
public abstract class DeviceRow extends KeyedRow {

    public String name;
    public String status;
    @Column(name = "owner_id")
    public String ownerId;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
