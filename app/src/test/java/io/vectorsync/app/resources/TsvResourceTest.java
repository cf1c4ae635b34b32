package io.vectorsync.app.resources;

import io.vectorsync.app.demo.SampleArticles;
import io.vectorsync.app.quality.LabelledSet;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TsvResourceTest {
    @Test
    void rowsFollowTheHeaderBlankLinesAreSkippedAndEmptyFieldsKept() throws Exception {
        List<String[]> rows = TsvResource.parse(reader("a\tb\n1\t2\n\n3\t\n"), "x.tsv", "a\tb");

        assertThat(rows).containsExactly(new String[] {"1", "2"}, new String[] {"3", ""});
    }

    @Test
    void aWrongHeaderOrFieldCountIsRefusedNamingTheResourceAndLine() {
        assertThatThrownBy(() -> TsvResource.parse(reader("a\tc\n1\t2\n"), "x.tsv", "a\tb"))
                .hasMessage("x.tsv must start with the header line 'a\tb'");
        assertThatThrownBy(() -> TsvResource.parse(reader("a\tb\n1\t2\n\n1\t2\t3\n"), "x.tsv", "a\tb"))
                .hasMessage("x.tsv line 4 has 3 fields, expected 2");
        assertThatThrownBy(() -> TsvResource.read("/no/such.tsv", "a"))
                .hasMessage("resource /no/such.tsv is missing from the build");
    }

    @Test
    void theShippedFilesRead() {
        assertThat(SampleArticles.load()).isNotEmpty().allSatisfy(a -> assertThat(a.title()).isNotBlank());
        LabelledSet set = LabelledSet.load();
        assertThat(set.documents()).isNotEmpty();
        assertThat(set.queries()).isNotEmpty().allSatisfy(q -> assertThat(q.relevant()).isNotEmpty());
    }

    private static BufferedReader reader(String text) {
        return new BufferedReader(new StringReader(text));
    }
}
