package de.scheincam.ffmpeg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;

import org.bytedeco.javacpp.Loader;

/**
 * Where ffmpeg and ffprobe are. A configured path wins; otherwise the executables shipped inside the
 * org.bytedeco:ffmpeg jar (GPL build, with libx264) are extracted on first use, so nothing needs
 * installing and start-up does not pay for the extraction.
 */
public class FfmpegBinaries {

    private final Supplier<String> ffmpeg;
    private final Supplier<String> ffprobe;

    public FfmpegBinaries(String ffmpegPath, String ffprobePath) {
        this.ffmpeg = resolver(ffmpegPath, org.bytedeco.ffmpeg.ffmpeg.class);
        this.ffprobe = resolver(ffprobePath, org.bytedeco.ffmpeg.ffprobe.class);
    }

    public String ffmpeg() {
        return ffmpeg.get();
    }

    public String ffprobe() {
        return ffprobe.get();
    }

    /**
     * Extracts the bundled executable with its libraries. The 1.5.12 jar ships libva as libva.so and
     * libva-drm.so while the executables ask for libva.so.2 and libva-drm.so.2: link those names
     * beside them (in JavaCPP's cache, which is ours). Only the executables carry an $ORIGIN run path,
     * not the libraries, so the libraries find each other only through LD_LIBRARY_PATH: a small wrapper
     * script beside the executable sets it. The executables also need the PulseAudio client library
     * (Debian: libpulse0), which every machine running OBS Studio has.
     */
    private static String extract(Class<?> bundled) {
        String executable;
        try {
            executable = Loader.load(bundled);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("The ffmpeg bundled in the jar cannot load its libraries (" + e.getMessage()
                    + "). Install libpulse0 (apt-get install libpulse0) or set scheincam.ffmpeg.path and"
                    + " scheincam.ffprobe.path to an installed ffmpeg.", e);
        }
        Path dir = Path.of(executable).getParent();
        for (String lib : List.of("libva.so", "libva-drm.so")) {
            Path shipped = dir.resolve(lib);
            Path versioned = dir.resolve(lib + ".2");
            try {
                if (Files.exists(shipped) && !Files.exists(versioned, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(versioned, shipped.getFileName());
                }
            } catch (FileAlreadyExistsException e) {
                // another process linked it first
            } catch (IOException e) {
                throw new UncheckedIOException("cannot link " + versioned, e);
            }
        }
        return wrapper(Path.of(executable));
    }

    private static String wrapper(Path executable) {
        Path dir = executable.getParent();
        Path script = dir.resolve(executable.getFileName() + "-scheincam.sh");
        String text = "#!/bin/sh\n"
                + "# written by ScheinCam: the bundled libraries find each other only through LD_LIBRARY_PATH\n"
                + "LD_LIBRARY_PATH='" + dir + "'${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} exec '" + executable + "' \"$@\"\n";
        try {
            if (!Files.exists(script) || !Files.readString(script).equals(text)) {
                Path tmp = Files.createTempFile(dir, "wrapper", ".tmp");
                Files.writeString(tmp, text);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script, e);
        }
        return script.toString();
    }

    private static Supplier<String> resolver(String configured, Class<?> bundled) {
        if (configured != null && !configured.isBlank()) {
            return configured::trim;
        }
        return new Supplier<>() {
            private volatile String path;

            @Override
            public String get() {
                String p = path;
                if (p == null) {
                    synchronized (this) {
                        if (path == null) {
                            path = extract(bundled);
                        }
                        p = path;
                    }
                }
                return p;
            }
        };
    }
}
