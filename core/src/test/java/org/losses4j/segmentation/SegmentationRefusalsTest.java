package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losses4j.conformance.Conformance;

/**
 * The conformance error cases of this family are refused for the RIGHT reason: each message
 * names what the case breaks (the conformance test itself only checks the error kind).
 */
class SegmentationRefusalsTest {
    private static final Map<String, String> REASON = Map.ofEntries(
            Map.entry("dice-024", "target shape [2, 3, 4, 3] != input shape [2, 3, 4, 4]"),
            Map.entry("dice-025", "input[1, 2, 0, 1] = 1.25 is outside [0, 1]"),
            Map.entry("dice-026", "target[0, 0, 2, 2] = -0.5 is outside [0, 1]"),
            Map.entry("dice-027", "average = 'micro'"),
            Map.entry("dice-028", "input[0, 1, 3, 0] = -0.01 is outside [0, 1]"),
            Map.entry("dice-029", "[N, C, *] (rank >= 2), got shape [4]"),
            Map.entry("dice-030", "target shape [1, 3, 4] != input shape [2, 3, 4]"),
            Map.entry("jaccard-019", "target shape [2, 3, 4, 3] != input shape"),
            Map.entry("jaccard-020", "input[1, 2, 0, 1] = 1.25 is outside [0, 1]"),
            Map.entry("jaccard-021", "target[0, 0, 2, 2] = -0.5 is outside [0, 1]"),
            Map.entry("jaccard-022", "average = 'micro'"),
            Map.entry("tversky-031", "target shape [2, 3, 4, 3] != input shape"),
            Map.entry("tversky-032", "input[1, 2, 0, 1] = 1.25 is outside [0, 1]"),
            Map.entry("tversky-033", "target[0, 0, 2, 2] = -0.5 is outside [0, 1]"),
            Map.entry("tversky-034", "average = 'micro'"),
            Map.entry("combo-022", "target shape [2, 3, 4, 3] != input shape"),
            Map.entry("combo-023", "input[1, 2, 0, 1] = 1.25 is outside [0, 1]"),
            Map.entry("combo-024", "target[0, 0, 2, 2] = -0.5 is outside [0, 1]"),
            Map.entry("combo-025", "average = 'micro'"),
            Map.entry("box_iou-046", "target shape [3, 4] != input shape [4, 4]"),
            Map.entry("box_iou-047", "dimension 1 is 3 but must be 4"),
            Map.entry("box_iou-048", "input[2] = (-4.783779142675639, -1.509472969848793, -5.283779142675639, "
                    + "4.113591267046668) has x2 < x1"),
            Map.entry("box_iou-049", "target[1] = (2.4147390829329414, 3.5781308906480582, 5.497451172005771, "
                    + "2.5781308906480582) has y2 < y1"),
            Map.entry("box_iou-050", "variant = 'eiou'"),
            Map.entry("box_iou-051", "reduction = 'avg'"),
            Map.entry("ssim-024", "image 10×14 is smaller than the SSIM window 11×11"),
            Map.entry("ssim-025", "image 14×6 is smaller than the SSIM window 7×7"),
            Map.entry("ssim-026", "target shape [2, 3, 12, 13] != input shape [2, 3, 12, 12]"),
            Map.entry("ssim-027", "input must have rank 4, got shape [3, 12, 12]"),
            Map.entry("ssim-028", "reduction = 'avg'"),
            Map.entry("total_variation-019", "input must have rank 4, got shape [3, 4, 4]"),
            Map.entry("total_variation-020", "kind = 'l2'"),
            Map.entry("total_variation-021", "reduction = 'batchmean'"));

    @Test
    @SuppressWarnings("unchecked")
    void everyErrorCaseIsRefusedForItsReason() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> seen = new ArrayList<>();
        try (InputStream s = getClass().getResourceAsStream("/conformance/segmentation.jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> c = json.readValue(line, Map.class);
                Map<String, Object> expect = (Map<String, Object>) c.get("expect");
                if (!expect.containsKey("error")) {
                    continue;
                }
                String id = (String) c.get("id");
                seen.add(id);
                Map<String, Object> ans = Conformance.answer(c);
                assertThat(ans).as(id).containsKey("error");
                String message = (String) ((Map<String, Object>) ans.get("error")).get("message");
                assertThat(message).as(id).contains(REASON.get(id));
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(REASON.keySet());
    }
}
