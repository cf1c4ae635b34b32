package io.vectorsync.app.logging;

import io.vectorsync.core.config.SecretMask;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

import java.util.List;

/**
 * The Log4j pattern {@code %mask{...}}: what the inner pattern prints (message and stack trace), with every configured
 * secret and every credential written into a URL masked, so a driver's or server's message that quotes a password
 * never reaches the log. The configured secrets are known only once the configuration is loaded ({@link #use});
 * until then, and in any process that never loads one, URL credentials are still masked. The mask is held
 * statically because Log4j, not vectorsync, creates the converter.
 */
@Plugin(name = "SecretMaskingConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class SecretMaskingConverter extends LogEventPatternConverter {
    private static volatile SecretMask mask = new SecretMask(List.of());

    private final List<PatternFormatter> formatters;

    private SecretMaskingConverter(List<PatternFormatter> formatters) {
        super("mask", "mask");
        this.formatters = formatters;
    }

    /** Called by Log4j for {@code %mask{pattern}}. */
    public static SecretMaskingConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1) {
            throw new IllegalArgumentException("%mask takes one pattern, e.g. %mask{%msg%n%xEx}");
        }
        return new SecretMaskingConverter(PatternLayout.createPatternParser(config).parse(options[0]));
    }

    /** The secrets of the loaded configuration, masked from then on. */
    public static void use(SecretMask secrets) {
        mask = secrets;
    }

    /** The mask in use: the loaded configuration's secrets, or URL credentials only. */
    public static SecretMask mask() {
        return mask;
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder inner = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, inner);
        }
        toAppendTo.append(mask.apply(inner.toString()));
    }

    /** Whether the inner pattern prints the stack trace, so the layout does not append it again unmasked. */
    @Override
    public boolean handlesThrowable() {
        return formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }
}
