package io.cutover.helm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The chart rendered as in {@link HelmChartTest}, for the tests of other packages (the dashboard's and rules' names). */
public final class ChartRender {

    private ChartRender() {
    }

    /** @param sets Helm {@code --set} expressions, like {@code "prometheusRule.enabled=true"} */
    public static List<JsonNode> render(String... sets) {
        return HelmChartTest.render(sets);
    }
}
