package io.cutover.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the demo backends started inside the router ({@code cutover.demo.*}). */
@ConfigMapping(prefix = "cutover.demo")
public interface DemoConfig {

    /** Whether to start the demo backends ({@code cutover.demo.enabled}, default false). */
    @WithDefault("false")
    boolean enabled();

    /** Port of the V1 demo backend on 127.0.0.1 ({@code cutover.demo.v1-port}, 0 for any free port). */
    @WithDefault("8081")
    int v1Port();

    /** Port of the V2 demo backend on 127.0.0.1 ({@code cutover.demo.v2-port}, 0 for any free port). */
    @WithDefault("8082")
    int v2Port();
}
