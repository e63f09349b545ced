package io.cutover.notify;

/**
 * Tells the operators of an event. Never blocks and never fails the caller: the event is queued and
 * sent off the request path.
 */
public interface Notifier {

    Notifier NONE = notice -> { };

    void notify(Notice notice);
}
