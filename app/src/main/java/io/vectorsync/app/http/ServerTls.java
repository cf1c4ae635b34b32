package io.vectorsync.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The JDK's TLS for the HTTP server, from the configured keystore. */
final class ServerTls {
    private ServerTls() {
    }

    static SSLContext context(HttpConfig.Tls tls) {
        char[] password = tls.password().toCharArray();
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            KeyStore store = KeyStore.getInstance(tls.type());
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            // A wrong password surfaces as an IOException too; its message never holds the password.
            throw new UncheckedIOException("cannot read the HTTPS keystore " + tls.keystore() + " (http.tls.keystore,"
                    + " type " + tls.type() + "): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serve HTTPS with the keystore " + tls.keystore()
                    + " (http.tls.keystore, type " + tls.type() + "): " + e.getMessage(), e);
        }
    }
}
