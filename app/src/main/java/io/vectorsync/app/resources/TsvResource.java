package io.vectorsync.app.resources;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tab-separated text file shipped in the jar (the demo's articles, the labelled search set): a header line that
 * must read as given, then one row a line with exactly the header's number of fields; blank lines are skipped. A file
 * that does not fit fails naming the resource and the line.
 */
public final class TsvResource {
    private TsvResource() {
    }

    /** The rows of classpath resource {@code resource}, each with as many fields as {@code header} names. */
    public static List<String[]> read(String resource, String header) {
        try (InputStream in = TsvResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resource, header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }

    /** The rows {@code reader} holds; {@code resource} names it in errors. */
    public static List<String[]> parse(BufferedReader reader, String resource, String header) throws IOException {
        if (!header.equals(reader.readLine())) {
            throw new IllegalStateException(resource + " must start with the header line '" + header + "'");
        }
        int fields = header.split("\t", -1).length;
        List<String[]> rows = new ArrayList<>();
        int lineNo = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != fields) {
                throw new IllegalStateException(resource + " line " + lineNo + " has " + f.length
                        + " fields, expected " + fields);
            }
            rows.add(f);
        }
        return List.copyOf(rows);
    }
}
