package io.cutover.demo;

import java.util.Optional;

/**
 * Where a reference backend keeps its data, in the forms the project's tools take: {@code url}
 * ({@code postgresql://host:port/db}, for the migration jobs' {@code --v1-url}/{@code --v2-url}
 * and the Vert.x client) and {@code jdbcUrl}.
 */
public record ReferenceDatabase(String url, String username, Optional<String> password) {

    public String jdbcUrl() {
        return "jdbc:" + url;
    }
}
