package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A generated evening whose act changes are known: seven acts of "music" (chords with a melody and a
 * tremolo) and "speech" (pink noise shaped into voice band, syllables and sentences) of different
 * lengths, separated by breaks of applause-like noise (white noise above 400 Hz, clapping at 9 Hz,
 * faded) and pauses (room tone about 60 dB down), in different orders and lengths. Two acts carry the
 * traps an act has: a quiet passage (3 s of room tone, a dramatic pause) and a loud broadband moment
 * (3 s of the same noise as applause, a laugh). The evening ends in applause. 640×360 at 5 fps picture
 * (testsrc2), AAC stereo 48 kHz in Matroska as OBS writes it. Made once per build in target/media.
 */
public final class ActShow {

    /** One piece of the evening: what it is, how long, and whether a new act starts with it. */
    public record Piece(String kind, double seconds, boolean actStarts, String filter) {
    }

    // lengths off the 0.5 s window grid, so that a boundary's error is measured, not rounded away
    private static final List<Piece> PIECES = List.of(
            music(150.3, 220, true), applause(8.2), pause(3.1),
            speech(100.4, true), pause(3), speech(117.3, false), applause(9.7),
            music(130.6, 330, true), pause(6.8),
            speech(90.2, true), laugh(3), speech(107.9, false), applause(6.3), pause(4.6),
            music(179.4, 262, true), applause(11.8), pause(2.2),
            speech(160.7, true), pause(5.3), applause(7.4),
            music(170.2, 196, true), applause(8.4));

    private ActShow() {
    }

    public static List<Piece> pieces() {
        return PIECES;
    }

    /** Seconds from the start where an act other than the first starts: the true boundaries. */
    public static List<Double> boundaries() {
        List<Double> out = new ArrayList<>();
        double t = 0;
        for (Piece p : PIECES) {
            if (p.actStarts() && t > 0) {
                out.add(t);
            }
            t += p.seconds();
        }
        return out;
    }

    public static double seconds() {
        return PIECES.stream().mapToDouble(Piece::seconds).sum();
    }

    /** The show's file, made on first use (about a minute of ffmpeg). */
    public static synchronized Path file() {
        // named after its pieces: a changed show is made anew, not taken from an earlier build
        Path file = Path.of("target", "media", "act-show-" + Integer.toHexString(PIECES.hashCode()) + ".mkv").toAbsolutePath();
        if (Files.exists(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("tmp-act-show.mkv");
            StringBuilder graph = new StringBuilder();
            for (int i = 0; i < PIECES.size(); i++) {
                graph.append(PIECES.get(i).filter()).append("[p").append(i).append("];");
            }
            for (int i = 0; i < PIECES.size(); i++) {
                graph.append("[p").append(i).append(']');
            }
            graph.append("concat=n=").append(PIECES.size()).append(":v=0:a=1,")
                    .append("aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[a]");
            String total = fmt(seconds());
            Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=s=640x360:r=5:d=" + total,
                    "-filter_complex", graph.toString(),
                    "-map", "0:v", "-map", "[a]",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "160k", tmp.toString()));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Piece music(double seconds, int base, boolean actStarts) {
        // a chord on a base note, its top voice stepping through a scale, swelling at 0.5 Hz
        String expr = ("0.22*sin(2*PI*%d*t)*(0.6+0.4*sin(2*PI*0.5*t))"
                + "+0.12*sin(2*PI*%d*pow(2\\,mod(floor(2*t)\\,5)/12)*1.5*t)+0.08*sin(2*PI*%d*2*t)")
                .formatted(base, base, base);
        return new Piece("music", seconds, actStarts, "aevalsrc=exprs='" + expr + "':s=48000:d=" + fmt(seconds)
                + ",tremolo=f=4:d=0.3");
    }

    private static Piece speech(double seconds, boolean actStarts) {
        // voice-band noise in syllables (2.5 a second) and sentences (a 0.6 s breath every 6 s)
        return new Piece("speech", seconds, actStarts, "anoisesrc=d=" + fmt(seconds) + ":c=pink:r=48000:a=0.6:seed=" + seed(seconds)
                + ",highpass=f=200,lowpass=f=2500"
                + ",volume='(0.2+0.8*abs(sin(2*PI*2.5*t)))*if(lt(mod(t\\,6)\\,5.4)\\,1\\,0.03)':eval=frame");
    }

    private static Piece applause(double seconds) {
        return new Piece("applause", seconds, false, noise(seconds));
    }

    /** The same noise as applause, inside an act: a laugh, a crash. */
    private static Piece laugh(double seconds) {
        return new Piece("laugh", seconds, false, noise(seconds));
    }

    /** Noise seeded by its length: the same show every time it is made (anoisesrc's default seed is random). */
    private static long seed(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static String noise(double seconds) {
        return "anoisesrc=d=" + fmt(seconds) + ":c=white:r=48000:a=0.5:seed=" + seed(seconds) + ",highpass=f=400,tremolo=f=9:d=0.6"
                + ",afade=t=in:d=0.7,afade=t=out:st=" + fmt(seconds - 1.5) + ":d=1.5";
    }

    private static Piece pause(double seconds) {
        return new Piece("pause", seconds, false, "anoisesrc=d=" + fmt(seconds) + ":c=brown:r=48000:a=0.002:seed=" + seed(seconds));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
