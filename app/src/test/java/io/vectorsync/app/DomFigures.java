package io.vectorsync.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of a dumped dashboard DOM, found by their {@code data-testid}: each element's attributes and its text
 * up to the first child element.
 */
final class DomFigures {
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"");

    /** One element: its attributes and the text right after its start tag. */
    record Element(Map<String, String> attributes, String text) {
        String attr(String name) {
            return attributes.get(name);
        }

        /** The raw figure the page shows, from data-value. */
        String value() {
            return attributes.get("data-value");
        }
    }

    private final String dom;

    DomFigures(String dom) {
        this.dom = dom;
    }

    Optional<Element> find(String testid) {
        List<Element> all = findAll(testid);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    Element get(String testid) {
        return find(testid).orElseThrow(() -> new AssertionError("the dashboard shows no data-testid=\"" + testid
                + "\""));
    }

    List<Element> findAll(String testid) {
        Pattern tag = Pattern.compile("<[a-zA-Z]+\\s[^>]*data-testid=\"" + Pattern.quote(testid) + "\"[^>]*>");
        Matcher m = tag.matcher(dom);
        List<Element> out = new ArrayList<>();
        while (m.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group());
            while (a.find()) {
                attributes.put(a.group(1), unescape(a.group(2)));
            }
            int end = dom.indexOf('<', m.end());
            out.add(new Element(attributes, unescape(dom.substring(m.end(), end < 0 ? dom.length() : end))));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }
}
