package io.vectorsync.app.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The demo's sample articles, read from {@value #RESOURCE} (tab-separated, with a header line). */
public final class SampleArticles {
    public static final String RESOURCE = "/demo/articles.tsv";
    private static final String HEADER = "title\tbody\tauthor\tcategory";

    /** One row of the articles table, without its id. */
    public record Article(String title, String body, String author, String category) {
        public Article {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(body, "body");
        }
    }

    private SampleArticles() {
    }

    public static List<Article> load() {
        try (InputStream in = SampleArticles.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }

    static List<Article> parse(BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (!HEADER.equals(header)) {
            throw new IllegalStateException(RESOURCE + " must start with the header line '" + HEADER + "'");
        }
        List<Article> articles = new ArrayList<>();
        int lineNo = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + " has " + f.length
                        + " fields, expected 4");
            }
            articles.add(new Article(f[0], f[1], f[2], f[3]));
        }
        return List.copyOf(articles);
    }
}
