package io.vectorsync.core.mode;

import io.vectorsync.core.model.StorageMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModeRequestTest {

    @Test
    void aFullRequestIsReadAndWrittenBackTheSame() {
        ModeRequest.Parsed parsed = ModeRequest.parse("""
                {"request_id":"r1","collection":"articles","mode":"dual_write","requested_by":"ana",
                 "reason":"start","dry_run":true,"force":false,"epoch":3}""", "fallback");

        assertThat(parsed.problems()).isEmpty();
        ModeRequest r = parsed.request();
        assertThat(r).isEqualTo(new ModeRequest("r1", "articles", StorageMode.DUAL_WRITE, "ana", "start", true, false,
                3L));
        assertThat(ModeRequest.parse(r.toJson(), "x").request()).isEqualTo(r);
    }

    @Test
    void theFallbackIdIsUsedWhenTheMessageHasNone() {
        ModeRequest.Parsed parsed = ModeRequest.parse(
                "{\"collection\":\"all\",\"mode\":\"SHADOW\",\"requested_by\":\"ci\"}", "control-0-7");

        assertThat(parsed.request().requestId()).isEqualTo("control-0-7");
        assertThat(parsed.request().forAll()).isTrue();
        assertThat(parsed.request().epoch()).isNull();
    }

    @Test
    void everyProblemOfAMessageIsReportedAtOnce() {
        ModeRequest.Parsed parsed = ModeRequest.parse("""
                {"request_id":"r2","mode":"SIDEWAYS","requested_by":"","dry_run":"yes","epoch":-1,"moed":1}""", "f");

        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.requestId()).isEqualTo("r2");
        assertThat(parsed.problems()).containsExactlyInAnyOrder(
                "unknown field 'moed', expected collection, dry_run, epoch, force, mode, reason, request_id,"
                        + " requested_by",
                "collection is required",
                "requested_by must not be blank",
                "dry_run must be true or false, got \"yes\"",
                "epoch must be a whole number >= 0, got -1",
                "unknown mode 'SIDEWAYS', expected one of SOURCE_ONLY, DUAL_WRITE, SHADOW, CUTOVER, TARGET_ONLY");
    }

    @Test
    void textThatIsNotARequestObjectIsRefusedWithWhatItIs() {
        assertThat(ModeRequest.parse("{not json", "f").problems()).singleElement().asString()
                .startsWith("not valid JSON");
        assertThat(ModeRequest.parse("[1,2]", "f").problems()).containsExactly(
                "a mode request is a JSON object, got array");
        assertThat(ModeRequest.parse(null, "f").problems()).containsExactly(
                "empty message: a mode request is a JSON object");
        assertThat(ModeRequest.parse("{\"collection\":7,\"mode\":\"SHADOW\",\"requested_by\":\"a\\u0000b\"}", "f")
                .problems()).containsExactlyInAnyOrder("collection must be a string, got 7",
                "requested_by must not contain control characters");
        assertThat(ModeRequest.parse("{\"collection\":\"c\",\"mode\":\"SHADOW\",\"requested_by\":\"a\","
                + "\"reason\":\"" + "x".repeat(1001) + "\"}", "f").problems()).containsExactly(
                "reason is 1001 characters, at most 1000 allowed");
    }
}
