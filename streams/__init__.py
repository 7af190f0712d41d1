"""Stream processing: the topic catalogue, the faust app and its agents, the batch pipeline."""
