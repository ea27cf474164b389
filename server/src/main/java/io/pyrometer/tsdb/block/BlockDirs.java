package io.pyrometer.tsdb.block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finding blocks in a data directory and removing what interrupted writes or deletes left. */
public final class BlockDirs {
    public static final String TMP_FOR_DELETION = ".tmp-for-deletion";

    private BlockDirs() {}

    /** Block directories (named by a ULID, holding a meta.json), sorted by name. */
    public static List<Path> list(Path dataDir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) return out;
        try (Stream<Path> s = Files.list(dataDir)) {
            s.filter(p -> Ulid.isValid(p.getFileName().toString()) && Files.isRegularFile(p.resolve(BlockMeta.META_FILENAME)))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    /** Deletes {@code *.tmp-for-creation} and {@code *.tmp-for-deletion} directories; returns how many. */
    public static int cleanTemporary(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) return 0;
        List<Path> tmp = new ArrayList<>();
        try (Stream<Path> s = Files.list(dataDir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return Files.isDirectory(p) && (n.endsWith(BlockWriter.TMP_FOR_CREATION) || n.endsWith(TMP_FOR_DELETION));
            }).forEach(tmp::add);
        }
        for (Path p : tmp) FsUtil.deleteRecursively(p);
        return tmp.size();
    }

    /** Deletes a block: renamed first so a crash never leaves a half-deleted block that looks valid. */
    public static void delete(Path blockDir) throws IOException {
        Path tmp = blockDir.resolveSibling(blockDir.getFileName() + TMP_FOR_DELETION);
        FsUtil.replace(blockDir, tmp);
        FsUtil.deleteRecursively(tmp);
    }
}
