package dev.junction.core.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The header fields of a request or a response, in the order received, repeated ones as separate fields (RFC 9110
 * §5.3): what an adapter hands the engine and a transport hands back. Names keep the case they came with and are
 * compared without regard to case.
 *
 * <p>Two parallel arrays grown by doubling: adding a field allocates nothing until the capacity is used up, and a walk
 * by index ({@link #name(int)}, {@link #value(int)}) allocates nothing at all, which is how the engine reads them.
 *
 * <pre>{@code
 * Fields headers = new Fields(8).add("Content-Type", "text/plain").add("Set-Cookie", "a=1");
 * for (int i = 0; i < headers.size(); i++) {
 *     out.addHeader(headers.name(i), headers.value(i));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one exchange's thread at a time, as the engine uses them.
 */
public final class Fields {

    private String[] names;
    private String[] values;
    private int size;

    /** Creates an empty list with room for 16 fields. */
    public Fields() {
        this(16);
    }

    /** Creates an empty list with room for {@code capacity} fields before it grows. */
    public Fields(int capacity) {
        int room = Math.max(1, capacity);
        this.names = new String[room];
        this.values = new String[room];
    }

    /** Returns a copy of {@code other}, which later changes to either leave the other alone. */
    public static Fields copyOf(Fields other) {
        Fields copy = new Fields(other.size + 2);
        System.arraycopy(other.names, 0, copy.names, 0, other.size);
        System.arraycopy(other.values, 0, copy.values, 0, other.size);
        copy.size = other.size;
        return copy;
    }

    /** Returns the number of fields. */
    public int size() {
        return size;
    }

    /** Returns whether there are no fields. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Returns the name of the field at {@code index}, as received. */
    public String name(int index) {
        Objects.checkIndex(index, size);
        return names[index];
    }

    /** Returns the value of the field at {@code index}. */
    public String value(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    /** Returns whether the field at {@code index} is named {@code name}, case aside. */
    public boolean is(int index, String name) {
        Objects.checkIndex(index, size);
        return names[index].equalsIgnoreCase(name);
    }

    /** Returns the value of the first field named {@code name} (case aside), or null. */
    public @Nullable String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Returns the values of every field named {@code name} (case aside), in order; empty if there is none. */
    public List<String> values(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                found.add(values[i]);
            }
        }
        return found;
    }

    /** Returns whether a field is named {@code name}, case aside. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** Adds a field after the others; returns this list. */
    public Fields add(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Adds every field of {@code other} after these, in its order; returns this list. */
    public Fields addAll(Fields other) {
        for (int i = 0; i < other.size(); i++) {
            add(other.name(i), other.value(i));
        }
        return this;
    }

    /**
     * Sets the one field named {@code name}: the first such field takes the value in its place, later ones are
     * removed; added at the end if there was none. Returns this list.
     */
    public Fields set(String name, String value) {
        Objects.requireNonNull(value, "value");
        int first = -1;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return add(name, value);
        }
        values[first] = value;
        removeFrom(first + 1, name);
        return this;
    }

    /** Removes every field named {@code name}; returns whether there was one. */
    public boolean remove(String name) {
        return removeFrom(0, name);
    }

    /** Removes the field at {@code index}; the fields after it move up by one. */
    public void removeAt(int index) {
        Objects.checkIndex(index, size);
        int after = size - index - 1;
        System.arraycopy(names, index + 1, names, index, after);
        System.arraycopy(values, index + 1, values, index, after);
        size--;
        names[size] = null;
        values[size] = null;
    }

    private boolean removeFrom(int start, String name) {
        int kept = start;
        for (int i = start; i < size; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        boolean removed = kept != size;
        for (int i = kept; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = kept;
        return removed;
    }

    /** Calls {@code action} with each field's name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Fields{");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(names[i]).append(": ").append(values[i]);
        }
        return text.append('}').toString();
    }
}
