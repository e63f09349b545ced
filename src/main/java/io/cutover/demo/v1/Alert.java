package io.cutover.demo.v1;

import io.cutover.demo.rows.AlertRow;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** V1 {@code alerts}. */
@Entity(name = "V1Alert")
@Table(name = "alerts")
public class Alert extends AlertRow {
}
