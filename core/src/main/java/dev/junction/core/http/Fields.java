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

    /**
     * Creates an empty list with room for {@code capacity} fields before it grows.
     *
     * @param capacity the number of fields to make room for; anything below 1 counts as 1
     */
    public Fields(int capacity) {
        int room = Math.max(1, capacity);
        this.names = new String[room];
        this.values = new String[room];
    }

    /**
     * Returns a copy of {@code other}, which later changes to either leave the other alone.
     *
     * @param other the fields to copy
     * @return a new list with the same fields in the same order
     */
    public static Fields copyOf(Fields other) {
        Fields copy = new Fields(other.size + 2);
        System.arraycopy(other.names, 0, copy.names, 0, other.size);
        System.arraycopy(other.values, 0, copy.values, 0, other.size);
        copy.size = other.size;
        return copy;
    }

    /** {@return the number of fields} */
    public int size() {
        return size;
    }

    /** {@return whether there are no fields} */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * {@return the name of the field at {@code index}, as received}
     *
     * @param index the field's position, from 0 to {@link #size()} exclusive
     * @throws IndexOutOfBoundsException if {@code index} is outside that range
     */
    public String name(int index) {
        Objects.checkIndex(index, size);
        return names[index];
    }

    /**
     * {@return the value of the field at {@code index}}
     *
     * @param index the field's position, from 0 to {@link #size()} exclusive
     * @throws IndexOutOfBoundsException if {@code index} is outside that range
     */
    public String value(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    /**
     * {@return whether the field at {@code index} is named {@code name}, case aside}
     *
     * @param index the field's position, from 0 to {@link #size()} exclusive
     * @param name the name to compare with
     * @throws IndexOutOfBoundsException if {@code index} is outside that range
     */
    public boolean is(int index, String name) {
        Objects.checkIndex(index, size);
        return names[index].equalsIgnoreCase(name);
    }

    /**
     * {@return the value of the first field named {@code name} (case aside), or null if there is none}
     *
     * @param name the field name to look for
     */
    public @Nullable String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /**
     * Returns the values of every field named {@code name} (case aside), in order.
     *
     * @param name the field name to look for
     * @return a new mutable list of the values, empty if there is none
     */
    public List<String> values(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                found.add(values[i]);
            }
        }
        return found;
    }

    /**
     * {@return whether a field is named {@code name}, case aside}
     *
     * @param name the field name to look for
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Adds a field after the others, growing the list if it is full.
     *
     * @param name the field name, kept in the case given
     * @param value the field value
     * @return this list
     * @throws NullPointerException if {@code name} or {@code value} is null
     */
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

    /**
     * Adds every field of {@code other} after these, in its order.
     *
     * @param other the fields to add
     * @return this list
     */
    public Fields addAll(Fields other) {
        for (int i = 0; i < other.size(); i++) {
            add(other.name(i), other.value(i));
        }
        return this;
    }

    /**
     * Sets the one field named {@code name}: the first such field takes the value in its place, later ones are
     * removed; added at the end if there was none.
     *
     * @param name the field name, compared case aside
     * @param value the new value
     * @return this list
     * @throws NullPointerException if {@code value} is null
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

    /**
     * Removes every field named {@code name}, case aside; the others keep their order.
     *
     * @param name the field name to remove
     * @return whether there was such a field
     */
    public boolean remove(String name) {
        return removeFrom(0, name);
    }

    /**
     * Removes the field at {@code index}; the fields after it move up by one.
     *
     * @param index the field's position, from 0 to {@link #size()} exclusive
     * @throws IndexOutOfBoundsException if {@code index} is outside that range
     */
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

    /**
     * Calls {@code action} with each field's name and value, in order.
     *
     * @param action called once per field with its name and value
     */
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
