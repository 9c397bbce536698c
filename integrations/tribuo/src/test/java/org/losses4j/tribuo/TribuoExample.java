package org.losses4j.tribuo;

import java.util.Map;
import java.util.Random;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** The README example: a Tribuo linear classifier trained with losses4j's softmax focal loss. */
public final class TribuoExample {
    private TribuoExample() {
    }

    public static void main(String[] args) {
        run();
    }

    private static MutableDataset<Label> data(int n, long seed) {
        LabelFactory f = new LabelFactory();
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("blobs", f), f);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            int c = r.nextDouble() < 0.1 ? 2 : r.nextInt(2);   // class 2 is rare
            double angle = 2 * Math.PI * c / 3;
            d.add(new ArrayExample<>(new Label("c" + c), new String[] {"x", "y"},
                    new double[] {2 * Math.cos(angle) + r.nextGaussian(), 2 * Math.sin(angle) + r.nextGaussian()}));
        }
        return d;
    }

    /** Trains on 1000 examples, evaluates on 1000 more; returns {accuracy, recall of the rare class}. */
    public static double[] run() {
        LinearSGDTrainer trainer = new LinearSGDTrainer(
                LossLabelObjective.of("softmax_focal", Map.of("gamma", 2.0)),   // logits in, softmax normalizer out
                new AdaGrad(0.1, 0.1), 10, 1000, 1, 1L);
        Model<Label> model = trainer.train(data(1000, 1));
        var eval = new LabelEvaluator().evaluate(model, data(1000, 2));
        System.out.printf("softmax focal loss: accuracy %.3f, recall of the rare class %.3f%n", eval.accuracy(),
                eval.recall(new Label("c2")));
        return new double[] {eval.accuracy(), eval.recall(new Label("c2"))};
    }
}
