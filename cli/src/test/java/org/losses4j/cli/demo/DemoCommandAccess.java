package org.losses4j.cli.demo;

import java.util.List;

/** Test access to the experiments' setup descriptions (package-private in main). */
public final class DemoCommandAccess {
    private DemoCommandAccess() {
    }

    public static List<String> experiments() {
        return DemoCommand.experiments().stream().map(Experiment::setup).toList();
    }
}
