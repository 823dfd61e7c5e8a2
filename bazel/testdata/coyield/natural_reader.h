// A reader as a user writes it: every co_yield below is flagged.
Generator<Row> read(RangeTracker<std::int64_t>& tracker) {
  for (std::int64_t i = start_; tracker.try_claim(i); ++i) {
    co_yield Row{"id " + std::to_string(i), "name"};
  }
}
Generator<Event> events(Tracker& tracker) {
  while (tracker.try_claim(day)) co_yield daily_events::Event{day, text};
  co_yield std::pair<int, std::string>{1, "x"};
  co_yield
      Event{
          .day = day, .text = text};
  co_yield {day, text};
}
