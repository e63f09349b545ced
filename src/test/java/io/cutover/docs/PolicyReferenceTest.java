package io.cutover.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cutover.policy.InvalidPolicyException;
import io.cutover.policy.PolicyParser;
import io.cutover.policy.TrafficPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/policy.md names every key the traffic policy parser accepts. The keys are learnt from the
 * parser itself: it refuses an unknown key naming the keys it expected at that place ("rollback.x:
 * unknown key (expected one of [errorRate, ...])"), so the test asks it, at the top level, under
 * each top-level key, and under a map entry of it (the long form of a pin).
 */
class PolicyReferenceTest {

    private static final String PAGE = "docs/policy.md";
    private static final String PROBE = "zzNotAKey";
    private static final Pattern EXPECTED = Pattern.compile(
            "(?m)^\\s*(?:[\\w.-]+\\.)?" + PROBE + ": unknown key \\(expected one of \\[([^\\]]*)\\]\\)");

    private final PolicyParser parser = new PolicyParser();

    @Test
    void everyKeyThePolicyParserAcceptsIsInThePolicyReference() {
        Set<String> top = expectedKeys(PROBE + ": 1\n", "");
        assertThat(top).as("top-level keys learnt from the parser").contains("v2Weight", "rollback", "tenants");

        Set<String> keys = new TreeSet<>(top);
        for (String key : top) {
            for (String sub : expectedKeys(key + ":\n  " + PROBE + ": 1\n", key + ".")) {
                keys.add(key + "." + sub);
            }
            for (String sub : expectedKeys(key + ":\n  some-entry:\n    " + PROBE + ": 1\n", key + ".some-entry.")) {
                keys.add(key + ".<>." + sub);
            }
        }
        assertThat(keys).as("nested keys learnt from the parser").contains("rollback.errorRate", "tenants.<>.force");

        String page = Docs.read(PAGE);
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            String shown = Pattern.quote(key).replace("<>", "\\E<[^>`]+>\\Q");
            if (!Pattern.compile("`" + shown + "`").matcher(page).find()) {
                missing.add(key);
            }
        }
        assertThat(missing).as("keys the policy parser accepts but " + PAGE + " does not name").isEmpty();
    }

    @Test
    void theExampleOfThePolicyReferenceIsAPolicyTheRouterAccepts() {
        Matcher block = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(Docs.read(PAGE));
        assertThat(block.find()).as("a yaml example in " + PAGE).isTrue();
        assertThatCode(() -> {
            TrafficPolicy p = parser.parse(block.group(1), PAGE);
            assertThat(p.v2Weight()).isEqualTo(10);
        }).doesNotThrowAnyException();
    }

    /**
     * The keys the parser names as expected when {@code yaml} puts the probe key at {@code where}
     * (empty when it says nothing of the kind there: not a mapping of keys).
     */
    private Set<String> expectedKeys(String yaml, String where) {
        try {
            parser.parse(yaml, "probe");
            return Set.of();
        } catch (InvalidPolicyException e) {
            Set<String> found = new TreeSet<>();
            for (String problem : e.problems()) {
                if (!problem.startsWith(where + PROBE + ":")) {
                    continue;
                }
                Matcher m = EXPECTED.matcher(problem);
                if (m.find()) {
                    Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(found::add);
                }
            }
            return found;
        }
    }
}
