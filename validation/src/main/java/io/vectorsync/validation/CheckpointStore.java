package io.vectorsync.validation;

import io.vectorsync.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * One checkpoint file per collection, {@code <dir>/<collection>.json}. Written to a temporary file and moved into
 * place, so an interruption mid-write leaves the previous checkpoint, never half of one.
 */
public final class CheckpointStore {
    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path file(String collection) {
        return dir.resolve(collection + ".json");
    }

    /**
     * @throws CheckpointException naming the file when it exists but is not a checkpoint
     */
    public Optional<Checkpoint> load(String collection) {
        Path file = file(collection);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Checkpoint checkpoint = Json.read(Files.readString(file, StandardCharsets.UTF_8), Checkpoint.class);
            if (checkpoint == null || checkpoint.scope() == null || checkpoint.phase() == null
                    || !collection.equals(checkpoint.collection())) {
                throw new IllegalArgumentException("it is not a checkpoint of collection '" + collection + "'");
            }
            return Optional.of(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + file + " cannot be used (" + e.getMessage()
                    + "); pass --restart to discard it", e);
        }
    }

    public void save(Checkpoint checkpoint) {
        Path file = file(checkpoint.collection());
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, checkpoint.collection() + ".", ".tmp");
            Files.writeString(temp, Json.write(checkpoint), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    public void delete(String collection) {
        try {
            Files.deleteIfExists(file(collection));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete checkpoint " + file(collection) + ": " + e.getMessage(), e);
        }
    }
}
