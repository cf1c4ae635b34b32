package io.vectorsync.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic English-like sentences of about twenty words for the bench: the same seed gives the same texts, so
 * runs compare. Built from a fixed phrase pattern over small word lists; grammatical enough for the tokenizer to
 * see ordinary words, which is all that matters for the model's speed.
 */
public final class SentenceGenerator {
    private static final String[] DETERMINERS = {"the", "a", "every", "one", "this", "that", "our", "their"};
    private static final String[] ADJECTIVES = {"quiet", "old", "busy", "small", "bright", "careful", "cold",
        "famous", "green", "heavy", "local", "modern", "narrow", "patient", "rapid", "simple", "strong", "tired",
        "warm", "young", "curious", "distant", "gentle", "honest", "sudden", "wooden", "northern", "early"};
    private static final String[] NOUNS = {"engineer", "garden", "river", "teacher", "village", "rocket", "kitchen",
        "library", "market", "farmer", "station", "orchestra", "bridge", "student", "harbour", "doctor", "forest",
        "museum", "player", "baker", "island", "painter", "server", "database", "council", "mountain", "journalist",
        "window", "train", "coach", "gardener", "pilot", "festival", "committee", "neighbour", "laboratory"};
    private static final String[] VERBS = {"visits", "repairs", "describes", "watches", "builds", "follows",
        "paints", "measures", "opens", "explains", "carries", "finds", "cleans", "welcomes", "records", "tests",
        "protects", "prepares", "studies", "crosses", "remembers", "supports", "moves", "checks"};
    private static final String[] ADVERBS = {"slowly", "often", "carefully", "quickly", "rarely", "gladly",
        "quietly", "again", "together", "early", "later", "suddenly"};
    private static final String[] PREPOSITIONS = {"near", "behind", "across", "beside", "under", "beyond",
        "inside", "around", "above", "along"};
    private static final String[] CONJUNCTIONS = {"while", "because", "after", "before", "although", "when"};

    private final Random random;

    public SentenceGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code n} sentences of 20 words each. */
    public List<String> sentences(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sentence());
        }
        return out;
    }

    /** "The quiet engineer visits a busy market near the river while one young teacher slowly records the train." */
    public String sentence() {
        String s = String.join(" ",
                pick(DETERMINERS), pick(ADJECTIVES), pick(NOUNS), pick(VERBS),
                pick(DETERMINERS), pick(ADJECTIVES), pick(NOUNS), pick(PREPOSITIONS),
                "the", pick(NOUNS), pick(CONJUNCTIONS),
                pick(DETERMINERS), pick(ADJECTIVES), pick(NOUNS), pick(ADVERBS), pick(VERBS),
                "the", pick(ADJECTIVES), pick(NOUNS), pick(ADVERBS));
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    private String pick(String[] words) {
        return words[random.nextInt(words.length)];
    }
}
