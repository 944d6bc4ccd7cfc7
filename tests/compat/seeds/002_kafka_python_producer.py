from kafka import KafkaProducer
import json

# Initialize producer
producer = KafkaProducer(bootstrap_servers='localhost:9092', 
                          value_serializer=lambda v: json.dumps(v).encode('utf-8'))

# Send message to Kafka topic
message = {'name': 'Message Broker Example', 'content': 'Hello from Kafka'}
producer.send('my_topic', message)

# Flush and close producer
producer.flush()
producer.close()
