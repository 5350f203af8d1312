package dev.forger.trainer.data;

import java.nio.file.Path;

/** A dataset that cannot be read; the message names the file and what is wrong with it. */
public class DatasetException extends RuntimeException {

    public DatasetException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DatasetException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
