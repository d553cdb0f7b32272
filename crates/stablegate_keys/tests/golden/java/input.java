package com.example.golden;

import java.util.List;
import java.util.function.Function;

/**
 * Javadoc: no key.
 */
@Entity
@Table(name = "widgets")
public class Widget<T extends Comparable<T>> implements Runnable {
    private static final String NAME = "widget // not a comment";
    private final Runnable task = () -> {
        System.out.println("task");
    };
    private final Function<String, Integer> length = s -> s.length();

    public Widget() {
        this(0);
    }

    @Override
    public void run() {
        String block = """
            a text block with "quotes"
            and // no comment
            """;
        char c = 'c';
        executor.submit(new Callable<Integer>() {
            @Override
            public Integer call() {
                return block.length();
            }
        });
        items.forEach(item -> {
            process(item);
        });
    }

    @SuppressWarnings("unchecked") public <R> List<R> map(Function<? super T, R> f) {
        return null;
    }

    enum Op {
        PLUS {
            int apply(int a, int b) { return a + b; }
        },
        MINUS;

        int apply(int a, int b) { return 0; }
    }

    record Point(int x, int y) {
        Point {
            if (x < 0) throw new IllegalArgumentException("x");
        }
    }

    interface Visitor<R> {
        R visit(Widget<?> w);
    }

    @interface Marker {
        String value() default "";
    }

    static class Inner {
        int shift(int v) { return v >>> 2; }
    }
}
