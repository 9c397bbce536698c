package org.losses4j.lightgbm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import com.microsoft.ml.lightgbm.lightgbmlib;

/**
 * Loads LightGBM's native libraries from the {@code lightgbmlib} jar (which ships them but has
 * no loader of its own): {@code lib_lightgbm} first, then its SWIG glue {@code lib_lightgbm_swig},
 * copied to a temporary folder once per JVM.
 */
public final class LightGbmNative {
    private static boolean loaded;

    private LightGbmNative() {
    }

    /** Loads the libraries (once; later calls do nothing). */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new UnsatisfiedLinkError("lightgbmlib ships x86_64 libraries only, not " + arch);
        }
        String dir;
        String ext;
        if (os.contains("linux")) {
            dir = "linux";
            ext = ".so";
        } else if (os.contains("mac")) {
            dir = "osx";
            ext = ".dylib";
        } else if (os.contains("win")) {
            dir = "windows";
            ext = ".dll";
        } else {
            throw new UnsatisfiedLinkError("lightgbmlib has no native library for " + os);
        }
        try {
            Path tmp = Files.createTempDirectory("losses4j-lightgbm");
            tmp.toFile().deleteOnExit();
            for (String lib : new String[] {"lib_lightgbm", "lib_lightgbm_swig"}) {
                String resource = "/com/microsoft/ml/lightgbm/" + dir + "/x86_64/" + lib + ext;
                Path out = tmp.resolve(lib + ext);
                try (InputStream in = lightgbmlib.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new UnsatisfiedLinkError("no " + resource + " in the lightgbmlib jar");
                    }
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                out.toFile().deleteOnExit();
                System.load(out.toAbsolutePath().toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot unpack LightGBM's native libraries", e);
        }
        loaded = true;
    }
}
