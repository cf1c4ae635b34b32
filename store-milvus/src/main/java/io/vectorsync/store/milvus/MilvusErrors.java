package io.vectorsync.store.milvus;

import io.milvus.v2.exception.MilvusClientException;

/** Sorts Milvus client failures and words them safely: never a payload, a vector or a filter's list of ids. */
final class MilvusErrors {
    /** Milvus 2.3's error code for "collection not found". */
    private static final int COLLECTION_NOT_FOUND = 100;
    private static final int MAX_LENGTH = 300;

    private MilvusErrors() {
    }

    static boolean isCollectionNotFound(Throwable e) {
        if (e instanceof MilvusClientException m && m.getServerErrCode() == COLLECTION_NOT_FOUND) {
            return true;
        }
        String message = e.getMessage();
        return message != null && (message.contains("collection not found") || message.contains("can't find collection"));
    }

    /**
     * A short text for logs and exception messages: the gRPC status ("DEADLINE_EXCEEDED: deadline exceeded after
     * 2.0s") when the call failed on the wire, else the server's or client's message, cut before any filter text.
     */
    static String describe(Throwable e) {
        Throwable status = grpcStatus(e);
        String message;
        if (status != null) {
            message = status.getMessage();
            message = cut(message, ". Name resolution");
            message = cut(message, " [");
        } else {
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // The SDK prefixes wrapped exceptions with their class name.
            message = message.replaceFirst("^[a-z][\\w.]*\\.(\\w+Exception): ", "");
            message = cut(message, " in [");
        }
        if (e instanceof MilvusClientException m && status == null && m.getServerErrCode() != 0) {
            message = message + " (server code " + m.getServerErrCode() + ")";
        }
        return message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) + "..." : message;
    }

    /** The gRPC StatusRuntimeException along the cause chain, by name: the SDK shades gRPC into its own package. */
    private static Throwable grpcStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("StatusRuntimeException") || name.equals("StatusException")) {
                return t;
            }
        }
        return null;
    }

    private static String cut(String message, String marker) {
        int at = message.indexOf(marker);
        return at < 0 ? message : message.substring(0, at);
    }
}
