package io.cutover.demo.v1;

import io.cutover.demo.rows.UserRow;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** V1 {@code users}. */
@Entity(name = "V1User")
@Table(name = "users")
public class User extends UserRow {
}
