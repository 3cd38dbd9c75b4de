package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.io.blocking.BlockingSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a consumer of {@code io.ringloop}, {@code io.ringloop.io} and {@code io.ringloop.io.blocking} sees names
 * nothing of the binding or of the loop's internals: no public or protected member, supertype or exception of a
 * public type. (The module descriptors make those packages unreadable to consumers; this test keeps them out of the
 * signatures that would need them.)
 */
class ApiSurfaceTest {
    private static final List<String> HIDDEN = List.of("io.ringloop.binding.", "io.ringloop.internal.");

    @Test
    void shouldNameNoBindingOrInternalTypeInAPublicSignature() throws Exception {
        List<Class<?>> api = new ArrayList<>();
        api.addAll(publicTypes(EventLoop.class, "io.ringloop"));
        api.addAll(publicTypes(AsyncSocket.class, "io.ringloop.io"));
        api.addAll(publicTypes(BlockingSocket.class, "io.ringloop.io.blocking"));
        assertThat(api).as("public types found").extracting(Class::getName)
                .contains("io.ringloop.EventLoop", "io.ringloop.LoopOptions$Builder", "io.ringloop.io.AsyncSocket",
                        "io.ringloop.io.blocking.BlockingSocket");
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : api) {
            check(leaks, c + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c + " implements", t);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f)) {
                    check(leaks, f.toString(), f.getGenericType());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic()) {
                    check(leaks, m.toGenericString(), m.getGenericReturnType());
                    checkExecutable(leaks, m);
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k)) {
                    checkExecutable(leaks, k);
                }
            }
        }
        assertThat(leaks).as("binding or internal types in the public API").isEmpty();
    }

    private static void checkExecutable(List<String> leaks, Executable e) {
        for (Type t : e.getGenericParameterTypes()) {
            check(leaks, e.toGenericString(), t);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(leaks, e.toGenericString(), t);
        }
    }

    private static boolean visible(Member m) {
        return (m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
    }

    private static void check(List<String> leaks, String where, Type t) {
        if (t == null) {
            return;
        }
        switch (t) {
            case Class<?> c -> {
                Class<?> e = c;
                while (e.isArray()) {
                    e = e.getComponentType();
                }
                String name = e.getName();
                if (HIDDEN.stream().anyMatch(name::startsWith)) {
                    leaks.add(where + ": " + name);
                }
            }
            case ParameterizedType p -> {
                check(leaks, where, p.getRawType());
                for (Type a : p.getActualTypeArguments()) {
                    check(leaks, where, a);
                }
            }
            case GenericArrayType g -> check(leaks, where, g.getGenericComponentType());
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    check(leaks, where, b);
                }
                for (Type b : w.getLowerBounds()) {
                    check(leaks, where, b);
                }
            }
            default -> { }
        }
    }

    /** The public top-level and nested types of a package, from the class directory or jar the anchor came from. */
    private static List<Class<?>> publicTypes(Class<?> anchor, String pkg)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(root)) {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return publicTypes(anchor, pkg, jar.getPath("/"));
            }
        }
        return publicTypes(anchor, pkg, root);
    }

    private static List<Class<?>> publicTypes(Class<?> anchor, String pkg, Path root)
            throws IOException, ClassNotFoundException {
        Path dir = root.resolve(pkg.replace('.', '/'));
        assertThat(Files.isDirectory(dir)).as("classes of %s in %s", pkg, root).isTrue();
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info") || simple.equals("module-info")) {
                    continue;
                }
                Class<?> c = Class.forName(pkg + "." + simple, false, anchor.getClassLoader());
                if (isApi(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static boolean isApi(Class<?> c) {
        for (Class<?> e = c; e != null; e = e.getDeclaringClass()) {
            if (!Modifier.isPublic(e.getModifiers()) && !Modifier.isProtected(e.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic();
    }
}
