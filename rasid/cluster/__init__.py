"""The cluster stage: reports grouped into stories, incrementally and independently of order."""
from rasid.cluster.clusterer import StoryClusterer, StoryInfo, cluster, story_id
from rasid.cluster.scoring import ClusterOptions

__all__ = ["ClusterOptions", "StoryClusterer", "StoryInfo", "cluster", "story_id"]
