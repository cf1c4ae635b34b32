package io.vectorsync.app.demo;

import io.vectorsync.app.resources.TsvResource;

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
        List<Article> articles = new ArrayList<>();
        for (String[] f : TsvResource.read(RESOURCE, HEADER)) {
            articles.add(new Article(f[0], f[1], f[2], f[3]));
        }
        return List.copyOf(articles);
    }
}
