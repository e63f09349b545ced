package io.cutover.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final JsonComparison defaults = new JsonComparison(List.of("$..tenantId"), ShadowConfig.Precision.MILLIS);

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<Difference> diff(JsonComparison c, String a, String b) {
        return c.compare(json(a), json(b));
    }

    @Test
    void shouldIgnoreFieldOrderNumberFormatsAndTenantIdEverywhere() {
        String v1 = "{'id':'d-1','name':'a','temp':1,'ratio':0.5,'readings':[{'v':10},{'v':2.50}]}";
        String v2 = "{'tenantId':'acme','readings':[{'tenantId':'acme','v':1e1},{'v':2.5,'tenantId':'acme'}],"
                + "'ratio':5E-1,'temp':1.0,'name':'a','id':'d-1'}";
        assertThat(diff(defaults, v1, v2)).isEmpty();
    }

    @Test
    void shouldCompareTimestampsAsInstantsAtTheConfiguredPrecision() {
        String a = "{'at':'2026-11-22T08:00:00.123456Z','local':'2026-11-22T08:00:00.1239'}";
        String b = "{'at':'2026-11-22T09:00:00.123+01:00','local':'2026-11-22T08:00:00.123'}";
        assertThat(diff(defaults, a, b)).isEmpty();
        JsonComparison micros = new JsonComparison(List.of(), ShadowConfig.Precision.MICROS);
        assertThat(diff(micros, a, b)).extracting(Difference::path).containsExactly("$.at", "$.local");
        assertThat(diff(defaults, "{'at':'2026-11-22T08:00:00Z'}", "{'at':'2026-11-22T08:00:00.000Z'}")).isEmpty();
        assertThat(diff(defaults, "{'at':'2026-11-22T08:00:00.123Z'}", "{'at':'2026-11-22T08:00:00.123+00:00'}")).isEmpty();
        assertThat(diff(defaults, "{'at':'2026-11-22T08:00:00.1Z'}", "{'at':'2026-11-23T08:00:00.1Z'}")).hasSize(1);
        assertThat(diff(defaults, "{'at':'2026-11-22T08:00:00.123Z'}", "{'at':'2026-11-22T08:00:00.124Z'}"))
                .containsExactly(new Difference("$.at", "\"2026-11-22T08:00:00.123Z\"", "\"2026-11-22T08:00:00.124Z\""));
    }

    @Test
    void shouldNameEachDifferingFieldWithBothValues() {
        List<Difference> d = diff(defaults,
                "{'name':'a','config':{'mode':'x','odd key':1},'tags':['t1','t2'],'gone':true}",
                "{'name':'b','config':{'mode':'x','odd key':2},'tags':['t1'],'added':null}");
        assertThat(d).containsExactly(
                new Difference("$.added", null, "null"),
                new Difference("$.config['odd key']", "1", "2"),
                new Difference("$.gone", "true", null),
                new Difference("$.name", "\"a\"", "\"b\""),
                new Difference("$.tags[1]", "\"t2\"", null));
    }

    @Test
    void shouldTellTypesApart() {
        assertThat(diff(defaults, "{'n':1}", "{'n':'1'}")).extracting(Difference::path).containsExactly("$.n");
        assertThat(diff(defaults, "{'n':true}", "{'n':1}")).extracting(Difference::path).containsExactly("$.n");
        assertThat(diff(defaults, "[1]", "{'a':1}")).extracting(Difference::path).containsExactly("$");
    }

    @Test
    void shouldLeaveOutIgnoredPaths() {
        JsonComparison c = new JsonComparison(List.of("$.meta", "$[*].etag", "$.items[0].x", "$..['secret']"),
                ShadowConfig.Precision.MILLIS);
        assertThat(diff(c, "{'meta':{'a':1},'items':[{'x':1,'y':1},{'x':1}],'deep':{'secret':1}}",
                "{'meta':{'a':2},'items':[{'x':2,'y':1},{'x':2}],'deep':{'secret':2}}"))
                .extracting(Difference::path).containsExactly("$.items[1].x");
        assertThat(diff(c, "[{'etag':'1','v':1}]", "[{'etag':'2','v':1}]")).isEmpty();
    }

    @Test
    void shouldRefuseAMalformedIgnoredPathNamingIt() {
        assertThatThrownBy(() -> new JsonComparison(List.of("tenantId"), ShadowConfig.Precision.MILLIS))
                .hasMessageContaining("cutover.shadow.ignored-paths: 'tenantId'").hasMessageContaining("must start with $");
        assertThatThrownBy(() -> JsonPathPattern.parse("$.a[x]")).hasMessageContaining("'x' in brackets");
    }

    @Test
    void shouldPlaceAPathUnderItsAncestorsOnly() {
        assertThat(JsonComparison.within("$.a[1].b", "$.a")).isTrue();
        assertThat(JsonComparison.within("$.a", "$.a")).isTrue();
        assertThat(JsonComparison.within("$.ab", "$.a")).isFalse();
        assertThat(JsonComparison.within("$.a", "$.a.b")).isFalse();
        assertThat(JsonComparison.generalise("$.items[12].at[0]")).isEqualTo("$.items[*].at[*]");
    }
}
