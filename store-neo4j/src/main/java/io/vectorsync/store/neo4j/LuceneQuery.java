package io.vectorsync.store.neo4j;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a user's search text into a Lucene query that means just its words: every character of Lucene's query
 * syntax is escaped and the operator words {@code AND}, {@code OR}, {@code NOT} are lower-cased, so text such as
 * {@code ERR-40417 (disk) AND "full} can neither fail to parse nor change the query's meaning. Words are then
 * OR-ed, Lucene's default, and ranked by its score.
 */
public final class LuceneQuery {
    private static final String SPECIAL = "\\+-!():^[]\"{}~*?|&/";
    private static final Pattern OPERATOR = Pattern.compile("\\b(AND|OR|NOT)\\b");

    private LuceneQuery() {
    }

    public static String escape(String text) {
        String words = OPERATOR.matcher(text).replaceAll(m -> m.group(1).toLowerCase(Locale.ROOT));
        StringBuilder out = new StringBuilder(words.length() + 8);
        for (int i = 0; i < words.length(); i++) {
            char c = words.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
